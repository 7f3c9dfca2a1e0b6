export * from './scriptTypes';
export {
  startScriptedServer,
  loadScript,
  validateScript,
  ScriptError,
  type ScriptedServer,
  type ScriptedServerOptions,
  type RequestLogEntry,
} from './server';
export { startRecordingProxy, type RecordingProxy, type RecordingProxyOptions } from './recorder';
export { serveScriptCommand, SERVE_SCRIPT_HELP } from './cli';
