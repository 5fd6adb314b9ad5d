// Nx's entry to the plugin. Nx can only load TypeScript plugins through swc or ts-node, whose native
// builds are not all on the registry mirrors this project installs from; tsx, which runs everything
// else here, registers TypeScript for the plugin instead.
require('tsx/cjs');
module.exports = require('./index.ts');
