export { itemWorkflow } from './item';
export { campaignWorkflow } from './campaign';
export { letterWorkflow } from './letter';
export { unitLetterWorkflow } from './unit-letter';
export { assignmentLettersWorkflow } from './assignment-letters';
export { simulationWorkflow } from './simulation';
