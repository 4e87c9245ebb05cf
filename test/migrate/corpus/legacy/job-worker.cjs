// Corpus (CommonJS): a job handler written with require(), a tag, notes (one with a duration) and an early return.
const { annotate, start, stop, tag } = require('tomograph');

function handle(job) {
  start('cjs worker', 'job', '10.0.0.6', 7000);
  tag('job.id', job.id);
  if (!job.valid) {
    annotate('rejected');
    stop('job');
    return false;
  }
  annotate('done', { duration: 5 });
  stop('job');
  return true;
}

/** What the CommonJS corpus test runs, one after the other. */
module.exports = { scenarios: [() => handle({ id: 1, valid: true }), () => handle({ id: 2, valid: false })] };
