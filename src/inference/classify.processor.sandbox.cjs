// bull requires sandboxed processor files with plain Node. When the service runs from its TypeScript
// sources (tests, ts-node) this shim registers ts-node first; from dist, bull loads classify.processor.js.
require('ts-node').register({ transpileOnly: true });
require('tsconfig-paths/register');
module.exports = require('./classify.processor.ts');
