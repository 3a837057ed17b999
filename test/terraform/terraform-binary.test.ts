import * as fs from 'node:fs';
import * as path from 'node:path';

import { REQUIRE_TERRAFORM_VARIABLE, requireTerraform, type TerraformLookup } from './terraform-binary';

const absent: TerraformLookup = { found: false, reason: 'no terraform answered `terraform version`' };
const old: TerraformLookup = { found: true, binary: { version: '1.8.5', major: 1, minor: 8 } };
const current: TerraformLookup = { found: true, binary: { version: '1.11.4', major: 1, minor: 11 } };

describe('requireTerraform (the CI switch)', () => {
  test('without the switch a missing or old terraform only skips', () => {
    expect(() => requireTerraform(absent, [1, 9], 'x', {})).not.toThrow();
    expect(() => requireTerraform(old, [1, 9], 'x', {})).not.toThrow();
  });

  test('with COS_INVENTORY_REQUIRE_TERRAFORM=1 a missing or too old terraform fails', () => {
    const env = { [REQUIRE_TERRAFORM_VARIABLE]: '1' };
    expect(() => requireTerraform(absent, [1, 9], 'real-terraform.test.ts', env)).toThrow(
      'real-terraform.test.ts: COS_INVENTORY_REQUIRE_TERRAFORM=1 but no terraform answered `terraform version`: install terraform >= 1.9',
    );
    expect(() => requireTerraform(old, [1, 9], 'x', env)).toThrow(
      'x: COS_INVENTORY_REQUIRE_TERRAFORM=1 but terraform 1.8.5 is older than 1.9: install terraform >= 1.9',
    );
    expect(() => requireTerraform(current, [1, 9], 'x', env)).not.toThrow();
  });

  test('.ci/run sets the switch', () => {
    const script = fs.readFileSync(path.join(__dirname, '..', '..', '.ci', 'run'), 'utf8');
    expect(script).toMatch(/^export COS_INVENTORY_REQUIRE_TERRAFORM=1$/m);
  });
});
