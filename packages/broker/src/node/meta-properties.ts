/**
 * meta.properties: which node and cluster a data directory belongs to (Kafka writes it when formatting a log
 * directory). A broker refuses a directory of another node id, and the controller refuses a broker formatted
 * for another cluster, so a mistyped --data-dir can never mix two clusters' data.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MetaProperties {
  nodeId: number;
  clusterId: string | null;
}

export interface MetaPropertiesStore {
  read(): MetaProperties | null;
  write(properties: MetaProperties): void;
}

export class FileMetaPropertiesStore implements MetaPropertiesStore {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'meta.properties');
  }

  read(): MetaProperties | null {
    if (!existsSync(this.path)) return null;
    const entries = new Map<string, string>();
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const separator = trimmed.indexOf('=');
      if (separator > 0) entries.set(trimmed.slice(0, separator), trimmed.slice(separator + 1));
    }
    const nodeId = Number(entries.get('node.id'));
    if (!Number.isInteger(nodeId)) throw new Error(`${this.path} has no valid node.id`);
    return { nodeId, clusterId: entries.get('cluster.id') ?? null };
  }

  write(properties: MetaProperties): void {
    const lines = ['#kactor data directory: do not edit', 'version=1', `node.id=${properties.nodeId}`];
    if (properties.clusterId !== null) lines.push(`cluster.id=${properties.clusterId}`);
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, `${lines.join('\n')}\n`);
    renameSync(temporary, this.path);
  }
}

export class MemoryMetaPropertiesStore implements MetaPropertiesStore {
  private properties: MetaProperties | null = null;

  read(): MetaProperties | null {
    return this.properties;
  }

  write(properties: MetaProperties): void {
    this.properties = { ...properties };
  }
}
