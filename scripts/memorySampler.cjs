// Preloaded into a process a benchmark watches (`node --require scripts/memorySampler.cjs …`):
// appends {t, rss, heapUsed} to $MUNERO_BENCH_MEMORY_FILE every second, since a process's heap
// cannot be read from outside it. Does nothing without that variable.
const fs = require('node:fs');

const file = process.env.MUNERO_BENCH_MEMORY_FILE;
if (file) {
  const sample = () => {
    const m = process.memoryUsage();
    fs.appendFileSync(file, JSON.stringify({ t: Date.now(), rss: m.rss, heapUsed: m.heapUsed }) + '\n');
  };
  sample();
  setInterval(sample, 1000).unref();
}
