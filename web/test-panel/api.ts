/** The flow test route, its answer parsed by the shared schema. */
import { FlowTestResultSchema, type FlowTestRequest, type FlowTestResult } from '../../shared/api/flow-tests.js';
import { sendJson } from '../api/client.js';

export const runFlowTest = async (request: FlowTestRequest): Promise<FlowTestResult> => (await sendJson('POST', '/api/flows/test', FlowTestResultSchema, request)).body;
