export { itemWorkflow } from './item';
export { campaignWorkflow } from './campaign';
