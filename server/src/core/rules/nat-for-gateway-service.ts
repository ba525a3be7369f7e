// PLACEHOLDER: this rule is not implemented yet. The registry test fails until it is.
import { defineRule } from './rule';

export default defineRule({
  id: 'nat-for-gateway-service',
  severity: 'info',
  category: 'advice',
  fixSafety: 'none',
  docs: { summary: 'TODO', rationale: 'TODO', invalid: 'Resources: {}\n', valid: 'Resources: {}\n' },
  messages: { todo: 'TODO' },
  check() {},
});
