/**
 * A group member of a real run: `kactor consume <topics> --group <g> --json --events` as a child process,
 * with the variant's protocol and assignor and the consumer configs by Kafka name mapped to the command's
 * flags (`--group-protocol`, `--assignor`, `--group-remote-assignor`, `--group-instance-id`, `--commit`,
 * `--consumer-property k=v` for the rest; its client.id is its name). Its output lines become trace events; it
 * also keeps what the member owns, its last state and generation, for the runner to see when the group has formed
 * (the simulation's formation check, which finds the member in the coordinator's description by that client.id).
 */
import { systemClock } from '@kactor/runtime';
import { startCli, type CliProcess } from './cli-process.js';
import { MemberEventStream } from './member-events.js';
import type { FormingMember, GroupSpec, MemberHoldings, TraceEvent, Variant } from './simulation-adapter.js';

/** The default assignor of each protocol, as the scenario model documents it. */
const defaultAssignor: Record<Variant['protocol'], string> = { 'classic-eager': 'range', 'classic-cooperative': 'cooperative-sticky', consumer: 'uniform' };

/** Configs the command sets from its own flags: given as --consumer-property they would be overridden. */
const configsSetByFlags = new Set(['auto.offset.reset', 'group.id', 'group.protocol', 'group.remote.assignor', 'partition.assignment.strategy', 'group.instance.id', 'enable.auto.commit', 'bootstrap.servers']);

/** The `kactor consume` arguments of member `index` of `group` under `variant`. */
export function memberArguments(group: GroupSpec, variant: Variant, index: number, bootstrap: string): string[] {
  // The group's configs lie under the variant's (model.ts), so the variant's win.
  const config = { ...group.consumerConfig, ...variant.consumerConfig };
  const assignor = variant.assignor ?? defaultAssignor[variant.protocol];
  const protocolFlags =
    variant.protocol === 'consumer' ? ['--group-protocol', 'consumer', '--group-remote-assignor', assignor] : ['--group-protocol', 'classic', '--assignor', assignor];
  const properties = Object.entries(config)
    .filter(([name]) => !configsSetByFlags.has(name))
    .flatMap(([name, value]) => ['--consumer-property', `${name}=${String(value)}`]);
  return [
    'consume',
    ...group.topics,
    '--group',
    group.name,
    '--json',
    '--events',
    // As in the simulated runner, a group with nothing committed reads from the earliest offset, whatever the configs say.
    '--from-beginning',
    // The console consumer commits after printing (sync, async) or automatically; transactions are not among its modes.
    '--commit',
    group.commit === 'transactional' ? 'sync' : group.commit,
    ...protocolFlags,
    ...(group.staticMembership ? ['--group-instance-id', `${group.name}-${index}`] : []),
    ...properties,
    // Last, so that it wins: the formation check finds the member among the coordinator's by its name.
    '--consumer-property',
    `client.id=${memberName(group, index)}`,
    '--bootstrap-server',
    bootstrap,
  ];
}

/** Member `index` of `group`, as the trace names it: also its client.id. */
export function memberName(group: GroupSpec, index: number): string {
  return `${group.name}/member-${index}`;
}

export class MemberProcess implements FormingMember {
  readonly name: string;
  readonly owned = new Set<string>();
  lastState: string | undefined;
  /** Its generation (classic) or member epoch (KIP-848), as its latest event said. */
  generation = -1;
  private readonly command: CliProcess;
  paused = false;
  private started = false;

  constructor(
    readonly group: GroupSpec,
    readonly index: number,
    variant: Variant,
    bootstrap: string,
    /** The wall-clock time trace times count from (MemberEventStream). */
    originMs: () => number,
    emit: (event: TraceEvent) => void,
    /** Called once, with its time, before the member's first event: when its process is up and the consumer starts joining. */
    onStarted: (timeMs: number) => void,
  ) {
    this.name = memberName(group, index);
    const stream = new MemberEventStream(group.name, this.name, originMs);
    this.command = startCli(memberArguments(group, variant, index, bootstrap), (line, arrivedAtMs) => {
      const event = stream.convert(line, arrivedAtMs);
      if (event === undefined) return;
      if (!this.started) {
        this.started = true;
        onStarted(event.timeMs);
      }
      if (event.type === 'member.assigned') for (const partition of event.partitions) this.owned.add(partition);
      if (event.type === 'member.revoked' || event.type === 'member.lost') for (const partition of event.partitions) this.owned.delete(partition);
      if (event.type === 'member.state') this.lastState = event.to;
      if (event.type === 'member.state' || event.type === 'member.assigned' || event.type === 'member.revoked' || event.type === 'member.lost') this.generation = event.generation;
      emit(event);
    });
  }

  get exited(): Promise<number | string> {
    return this.command.exited;
  }

  isRunning(): boolean {
    return this.command.isRunning();
  }

  isStable(): boolean {
    return this.lastState?.toLowerCase() === 'stable';
  }

  /** What it holds now, once its consumer has said anything (its process prints no member id). */
  holdings(): MemberHoldings | undefined {
    if (!this.started) return undefined;
    return { stable: this.isStable() && !this.paused, state: this.lastState ?? 'none', generation: this.generation, memberId: '', partitions: [...this.owned] };
  }

  stderr(): string {
    return this.command.stderr();
  }

  /** Leaves the group as Ctrl-C does (the consumer closes: it commits and sends LeaveGroup); SIGKILL after `timeoutMs`. */
  async close(timeoutMs = 30_000): Promise<void> {
    this.resume();
    this.command.signal('SIGTERM');
    const timer = systemClock.setTimeout(() => this.command.signal('SIGKILL'), timeoutMs);
    await this.command.exited;
    systemClock.clearTimeout(timer);
  }

  /** kill -9: nothing more from this member, the group finds out by its session timeout. */
  async crash(): Promise<void> {
    this.command.signal('SIGKILL');
    await this.command.exited;
  }

  /** SIGSTOP: nothing of the member runs, as in a long GC pause, until `resume`. */
  pause(): void {
    if (!this.isRunning()) return;
    this.command.signal('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.command.signal('SIGCONT');
    this.paused = false;
  }
}
