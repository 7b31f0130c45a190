// Starts a real `tta serve` for the browser tests: a free port, a fresh data directory, the
// repository's worlds and the built web player. Resolves once the server says where it listens.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startServer({ tta, repoRoot, webDist, log }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tta-web-e2e-'));
  const env = {
    ...process.env,
    TTA_SERVER_PORT: '0',
    TTA_STORAGE_DATA_DIR: dataDir,
    TTA_LOG_FORMAT: 'text',
    // One browser makes every request from one address, faster than a person would.
    TTA_LIMITS_IP_BURST: '1000',
    TTA_LIMITS_IP_REQUESTS_PER_SECOND: '200',
    TTA_LIMITS_ACCOUNT_BURST: '500',
    TTA_LIMITS_ACCOUNT_REQUESTS_PER_SECOND: '100',
  };
  const child = spawn(tta, ['serve', '--web', webDist], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tta serve did not start in 60 s:\n${output.join('')}`)), 60000);
    const onData = (chunk) => {
      const text = chunk.toString();
      output.push(text);
      log?.(text);
      const m = /listening on [^ ]+:(\d+)/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tta serve exited with ${code}:\n${output.join('')}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
