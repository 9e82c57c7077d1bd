// Starts dynalite's own CLI (same options), but keeps the server alive when a client aborts a request:
// dynalite 4.0.0 rethrows the request's 'error' (ECONNRESET on a client timeout) and the process dies.
process.on('uncaughtException', function (err) {
  if (err && (err.code === 'ECONNRESET' || err.message === 'aborted')) {
    console.error('dynalite: client aborted a request (' + err.code + '); still serving')
    return
  }
  console.error(err)
  process.exit(1)
})
require('dynalite/cli.js')
