export * from './construct';
export * from './model';
export * from './emulator';
export * from './report';
export * from './cos';
// The model and the emulator both name COS's default report prefix (the same value).
export { DEFAULT_REPORT_PREFIX } from './model';
// Plan review: the functions behind `cos-inventory review` (the rest of src/review is internal).
export {
  parsePlanJson,
  PlanFormatError,
  reviewPlans,
  renderMarkdown,
  renderText,
  type InventoryReview,
  type PlanInput,
  type TerraformPlan,
} from './review';
