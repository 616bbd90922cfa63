/**
 * What a flow test refuses, as values with a code: an input naming a node that is not a source (`not_a_source`), a
 * flow without sources (`no_source`), an unknown stored event (`event_not_found`), more events than a test runs
 * (`too_many_events`), and a test beyond the tests the server runs at once (`too_many_tests`). The HTTP layer
 * answers them by code (http/errors.ts).
 */
export type FlowTestErrorCode = 'not_a_source' | 'no_source' | 'event_not_found' | 'too_many_events' | 'too_many_tests';

export class FlowTestError extends Error {
  constructor(
    readonly code: FlowTestErrorCode,
    message: string,
    /** Where in the request (`path`), and counts a client may act on. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'FlowTestError';
  }
}
