/** A case the scenario does not define, or a run that cannot start (its topics not created, its groups never settled). */
export class RunSetupError extends Error {
  override readonly name = 'RunSetupError';
}
