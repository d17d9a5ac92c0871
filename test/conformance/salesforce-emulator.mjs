// Starts `koppel emulate salesforce` as a child process for the
// conformance tests and returns its base URL.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export async function startSalesforceEmulator(seed) {
  const bin = process.env.KOPPEL_BIN;
  if (!bin) {
    throw new Error('KOPPEL_BIN is not set; build koppel with `go build -o bin/koppel ./cmd/koppel` and export KOPPEL_BIN');
  }
  const dir = mkdtempSync(join(tmpdir(), 'koppel-sf-'));
  const seedPath = join(dir, 'seed.json');
  writeFileSync(seedPath, JSON.stringify(seed), { mode: 0o600 });

  const child = spawn(bin, ['emulate', 'salesforce', '--listen', '127.0.0.1:0', '--seed', seedPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start within 15 s; stderr: ${stderr}`)), 15000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code}; stderr: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = line.match(/^listening on (http:\/\/\S+)$/);
      if (match) {
        resolve(match[1]);
      } else {
        reject(new Error(`unexpected first line from the emulator: ${line}`));
      }
    });
  });

  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
