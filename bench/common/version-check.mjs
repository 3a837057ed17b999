/**
 * cdktf gives every terraform_data a validation that runs `terraform version` in a child
 * process at synth (about 100 ms each). `memoizeTerraformVersionCheck()` makes this process run
 * it once per command and constraint and reuse the answer; nothing else about synth changes.
 */
import { requireFromRoot } from './paths.mjs';

export function memoizeTerraformVersionCheck() {
  const { ValidateBinaryVersion } = requireFromRoot('cdktf/lib/validations/validate-binary-version.js');
  const original = ValidateBinaryVersion.prototype.validate;
  const answers = new Map();
  ValidateBinaryVersion.prototype.validate = function memoized() {
    const key = `${this.versionCommand}\0${this.versionConstraint}`;
    if (!answers.has(key)) answers.set(key, original.call(this));
    return answers.get(key);
  };
}
