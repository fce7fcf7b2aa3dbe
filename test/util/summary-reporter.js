// Prints one plain closing line ("jest: N passed, N failed[, N skipped][, N suites failed to run]")
// after jest's own summary, so a CI log reader that knows no jest still sees how many tests ran.
// A suite file that fails to load (or whose worker dies) runs none of its tests and fails none:
// the line says so, so that "0 failed" is never printed for a run that left tests out.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const notRun = results.numRuntimeErrorTestSuites;
    process.stdout.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}${notRun ? `, ${notRun} suite${notRun > 1 ? 's' : ''} failed to run` : ''}\n`);
  }
}
module.exports = SummaryReporter;
