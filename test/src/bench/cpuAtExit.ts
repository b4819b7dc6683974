// Preloaded (`node --require`) into a measured child when /usr/bin/time is missing: writes the process's
// own resource usage (user and system CPU in µs, peak RSS in KiB) to $BENCH_RUSAGE_FILE when it exits.
import * as fs from 'node:fs';

const target = process.env.BENCH_RUSAGE_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    fs.writeFileSync(target, JSON.stringify({ userUs: usage.userCPUTime, sysUs: usage.systemCPUTime, maxRssKb: usage.maxRSS }));
  });
}
