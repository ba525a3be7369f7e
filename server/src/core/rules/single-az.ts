// PLACEHOLDER: this rule is not implemented yet. The registry test fails until it is.
import { defineRule } from './rule';

export default defineRule({
  id: 'single-az',
  severity: 'warning',
  category: 'vpc-config',
  fixSafety: 'none',
  docs: { summary: 'TODO', rationale: 'TODO', invalid: 'Resources: {}\n', valid: 'Resources: {}\n' },
  messages: { todo: 'TODO' },
  check() {},
});
