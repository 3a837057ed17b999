// The `cdktf-cos-inventory/review` subpath: the functions behind `cos-inventory review`.
export { parsePlanJson, PlanFormatError, type TerraformPlan } from './plan-json';
export { reviewPlans, type InventoryReview, type PlanInput } from './review';
export { renderMarkdown } from './render-markdown';
export { renderText } from './render-text';
