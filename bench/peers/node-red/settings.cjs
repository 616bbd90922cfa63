/**
 * Node-RED's settings in the peer comparisons: no editor and no admin API, so no user or token to set up; the
 * credentials file unencrypted (the flows have none); the log at Node-RED's default level (its start-up lines, which
 * the bench waits for, and warnings: nothing per message); the in-memory context store, Node-RED's default; no
 * diagnostics or telemetry; the bench's counting node from ./nodes. The port and the user directory
 * (which holds flows.json) come from the command line.
 */
/* global __dirname */
module.exports = {
  uiHost: '127.0.0.1',
  httpAdminRoot: false,
  httpNodeRoot: '/',
  flowFile: 'flows.json',
  credentialSecret: false,
  nodesDir: `${__dirname}/nodes`,
  logging: { console: { level: 'info', metrics: false, audit: false } },
  contextStorage: { default: { module: 'memory' } },
  diagnostics: { enabled: false, ui: false },
  runtimeState: { enabled: false, ui: false },
  telemetry: { enabled: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  functionExternalModules: false,
  exportGlobalContextKeys: false,
};
