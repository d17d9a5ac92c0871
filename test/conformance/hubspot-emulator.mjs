// Starts `koppel emulate hubspot` as a child process for conformance tests.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// koppelBin returns the path of the koppel binary under test.
export function koppelBin() {
  const bin = process.env.KOPPEL_BIN;
  if (!bin) {
    throw new Error('KOPPEL_BIN is not set; build koppel (go build -o bin/koppel ./cmd/koppel) and set KOPPEL_BIN to its path');
  }
  return bin;
}

// startHubSpotEmulator writes seed (unless it is null) to a temporary file,
// starts the emulator on a free loopback port with extraArgs and resolves
// with its base URL once the first stdout line announces it.
export async function startHubSpotEmulator(seed, extraArgs = []) {
  const bin = koppelBin();
  const dir = mkdtempSync(join(tmpdir(), 'koppel-hubspot-'));
  const args = ['emulate', 'hubspot', '--listen', '127.0.0.1:0', ...extraArgs];
  if (seed !== null) {
    const seedPath = join(dir, 'seed.json');
    writeFileSync(seedPath, JSON.stringify(seed), { mode: 0o600 });
    args.push('--seed', seedPath);
  }

  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start within 10 s; stderr:\n${stderr}`)), 10_000);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (m) resolve(m[1]);
      else reject(new Error(`unexpected first line from the emulator: ${line}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code} before listening; stderr:\n${stderr}`));
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
