// Runs s3rver (MIT) for the tests: node server.js <port> <directory> <bucket>...
// Listens on 127.0.0.1, keeps objects in <directory>, creates the buckets; prints one line once listening.
const S3rver = require('s3rver')
const [port, directory, ...buckets] = process.argv.slice(2)
new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  allowMismatchedSignatures: true,
  configureBuckets: buckets.map(name => ({ name, configs: [] }))
}).run().then(
  addr => console.log('s3rver listening on ' + addr.address + ':' + addr.port),
  err => { console.error(err); process.exit(1) })
