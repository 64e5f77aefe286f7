/**
 * Kafka's topic name rules (`Topic.validate`): 1 to 249 characters from [a-zA-Z0-9._-], not "." or "..".
 * Names that differ only by '.' versus '_' collide in Kafka's metric names, so Kafka refuses the second.
 */
const legalTopicName = /^[a-zA-Z0-9._-]+$/;
export const maxTopicNameLength = 249;

export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'topic name is empty';
  if (name === '.' || name === '..') return `topic name cannot be "${name}"`;
  if (name.length > maxTopicNameLength) return `topic name is longer than ${maxTopicNameLength} characters`;
  if (!legalTopicName.test(name)) return `topic name "${name}" has characters other than ASCII alphanumerics, '.', '_' and '-'`;
  return undefined;
}

export function collisionKey(name: string): string {
  return name.replaceAll('.', '_');
}
