import { describeLogCompliance, type LogFactory } from './log-compliance.js';
import { describeFollowerLogCompliance } from './log-compliance-follower.js';
import { FileLogStore } from './file-log-store.js';
import { testClock, makeTempDir, removeDir } from './test-support.js';

const opened: Array<{ dir: string; store: FileLogStore }> = [];

const fileLogs: LogFactory = {
  create(config) {
    const clock = testClock();
    const dir = makeTempDir();
    const store = new FileLogStore(dir, { clock, logFlushSchedulerIntervalMs: 2 ** 63 });
    opened.push({ dir, store });
    return { log: store.open('orders', 0, 'topic-id-1', config), clock };
  },
  cleanup() {
    for (const { dir, store } of opened.splice(0)) {
      store.close();
      removeDir(dir);
    }
  },
};

describeLogCompliance('FileLog', fileLogs);
describeFollowerLogCompliance('FileLog', fileLogs);
