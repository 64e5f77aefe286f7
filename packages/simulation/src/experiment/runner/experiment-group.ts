/** One of the scenario's groups while it runs: its members, by index, alive or not, and how new ones join. */
import type { GroupSpec, Variant } from '../model.js';
import { ExperimentMember } from './member.js';
import { MemberPlants } from './member-plants.js';
import type { RunContext } from './run-context.js';

export class ExperimentGroup {
  /** Every member ever started, by index (a restarted member is the same one). */
  readonly members: ExperimentMember[] = [];

  constructor(
    private readonly run: RunContext,
    readonly spec: GroupSpec,
    readonly variant: Variant,
    /** The group whose member-0 carries the run's planted bug, if any. */
    private readonly carriesPlant: boolean,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** `count` new members, with the next indexes, started now. */
  join(count: number): ExperimentMember[] {
    const joined: ExperimentMember[] = [];
    for (let n = 0; n < count; n += 1) {
      const index = this.members.length;
      const plant = this.run.plant;
      const plants = this.carriesPlant && index === 0 && plant !== undefined && plant !== 'ack-before-isr' ? new MemberPlants(plant) : undefined;
      const member = new ExperimentMember(this.run, this.spec, this.variant, index, plants);
      this.members.push(member);
      member.start();
      joined.push(member);
    }
    return joined;
  }

  /** Members running now, lowest index first. */
  live(): ExperimentMember[] {
    return this.members.filter((member) => member.live);
  }

  /** Every member's host, alive or not (a network fault around the group covers the ones that come back). */
  hosts(): string[] {
    return this.members.map((member) => member.name);
  }
}
