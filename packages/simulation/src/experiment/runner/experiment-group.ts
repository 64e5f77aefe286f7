/** One of the scenario's groups while it runs: its members, by index, alive or not, and how new ones join. */
import type { GroupSpec, Variant } from '../model.js';
import { groupUnsettled } from './formation-check.js';
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

  get topics(): readonly string[] {
    return this.spec.topics;
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

  /**
   * Whether the group is settled: it has a live member, every live member is stable in its protocol, and every
   * partition of the group's topics (`partitionCount` of each) is held by exactly one of them. A member cut off long
   * enough to be evicted still holds its partitions until it learns so, which this tells apart from a settled group.
   */
  settled(partitionCount: (topic: string) => number): boolean {
    return this.unsettled(partitionCount) === undefined;
  }

  /** Why the group is not settled (see settled()), in words for a run error; undefined when it is. */
  unsettled(partitionCount: (topic: string) => number): string | undefined {
    return groupUnsettled(this, partitionCount);
  }

  /** Every member's host, alive or not (a network fault around the group covers the ones that come back). */
  hosts(): string[] {
    return this.members.map((member) => member.name);
  }
}
