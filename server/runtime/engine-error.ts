/** Why the engine refused a publish: `bus_busy` (a flow is too far behind; try again shortly) or `closed` (shutting down). */
export class EngineError extends Error {
  constructor(
    readonly code: 'bus_busy' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
