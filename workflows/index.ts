export { itemWorkflow } from './item';
export { campaignWorkflow } from './campaign';
export { letterWorkflow } from './letter';
