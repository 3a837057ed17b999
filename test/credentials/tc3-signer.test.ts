import { tc3Authorization } from '../../src/credentials/tc3-signer';

describe('tc3Authorization', () => {
  // The worked example of Tencent Cloud's API 3.0 "Signature v3" page
  // (https://www.tencentcloud.com/document/api/213/30654): CVM DescribeInstances at 1551113065.
  it("reproduces the signature of Tencent's published example", () => {
    expect(
      tc3Authorization({
        secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
        secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
        service: 'cvm',
        host: 'cvm.tencentcloudapi.com',
        contentType: 'application/json; charset=utf-8',
        payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
        timestamp: 1551113065,
      }),
    ).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('dates the scope by the UTC day of the timestamp', () => {
    const base = {
      secretId: 'id',
      secretKey: 'key',
      service: 'sts',
      host: 'sts.tencentcloudapi.com',
      contentType: 'application/json; charset=utf-8',
      payload: '{}',
    };
    expect(tc3Authorization({ ...base, timestamp: 1551139199 })).toContain('/2019-02-25/sts/');
    expect(tc3Authorization({ ...base, timestamp: 1551139200 })).toContain('/2019-02-26/sts/');
  });
});
