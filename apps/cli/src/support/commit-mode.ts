/** `consume --commit`'s values, apart from group-consume-options.ts so that the flag's parser loads nothing else. */
export type CommitMode = 'auto' | 'sync' | 'async' | 'none';
export const commitModes: readonly CommitMode[] = ['auto', 'sync', 'async', 'none'];
