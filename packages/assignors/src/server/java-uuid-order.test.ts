/** Java's answers for Kafka Uuids, read off Kafka 4.4.0's `Uuid` (kafka-clients) on JDK 17. */
import { describe, expect, it } from 'vitest';
import { compareTopicIds, javaHashSetCopyOrder, javaUuidHashCode } from './java-uuid-order.js';

const ids = ['T1-A4s3VTwiI5CTbEp6POw', '_____________________w', 'gAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAQ', 'AAAAAAAAAAAAgAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAg'];

describe('Java Uuid order', () => {
  it('Uuid.hashCode()', () => {
    expect(ids.map(javaUuidHashCode)).toEqual([418407434, 0, -2147483648, 1, 8388608, 2]);
  });

  it('Uuid.compareTo: signed most significant long, then signed least significant long', () => {
    expect([...ids].sort(compareTopicIds)).toEqual([
      'gAAAAAAAAAAAAAAAAAAAAA',
      '_____________________w',
      'AAAAAAAAAAAAAAAAAAAAAQ',
      'AAAAAAAAAAAAAAAAAAAAAg',
      'AAAAAAAAAAAAgAAAAAAAAA',
      'T1-A4s3VTwiI5CTbEp6POw',
    ]);
  });

  it("new HashSet<>(ids): Kafka's test ids (last character's padding bits ignored, as Uuid.fromString does)", () => {
    expect(javaHashSetCopyOrder(['T1-A4s3VTwiI5CTbEp6POw', 'T3-CU8fVTLCz5YMkLoDQsa'])).toEqual(['T3-CU8fVTLCz5YMkLoDQsa', 'T1-A4s3VTwiI5CTbEp6POw']);
    expect(javaHashSetCopyOrder(['T1-A4s3VTwiI5CTbEp6POw', 'T2-B4s3VTwiI5YHbPp6YUe'])).toEqual(['T2-B4s3VTwiI5YHbPp6YUe', 'T1-A4s3VTwiI5CTbEp6POw']);
  });

  it('new HashSet<>(30 random Uuids): a table of 64', () => {
    const inserted = 'ukGdNQ3-iveu57vhDEXAKA Twg84_Eru0tG7p2CtSyFbQ qmFqvhdhDJrnQ2e9c4WX3A XmiOmWGzXIhGl2z3sL--IA drIAEMMYV1TIbEAO_4ih4w 61kQ8SbmvG9vvd9VcJa4gw v_nZ1e492FJi9gvbzFyDBQ LWitFiaKR4yYJ1D0VptZSQ NbNT3UArVxrTcn_yXXs0fw LBZ5mSidlfqWYaQyRjAs2Q wFPplqTEbAKSL7NeFI2egg lHyC7hc1ye3ApH3uzHIpzg CAsGm1EIRrZboKPzMvcCsQ 0Vsj7QLVPihq7ZIQxQBDdQ -VpnIxSlxLa2ocrJiHM2pw ewbuUt-ahIdKqgABODLMUg 8yoIi5iL19XSC8C8MFGubw ovsjP2DgtHdefr8sIuyomw XDmp2m-wPLtvRfLpphdXCg dRK7tLIrCXl5AhuC83BQuw eBHcMIyGgWTTy2c2CZFA7Q JqoBHg110aPVeEH6yeKj0Q ddajXMLhW59H05DGoaIagA Miq1xlhGrB4t5N0N9mWKLg 3Z2mS3s4T5F8kTSIjFR6oA a8TNXQIWF6miA8E4wfRn2w synvjaGLpi9QuV2qEfv7HQ klW1d1fsURRe-ql8SmxfEA 3y892ydgs8fORGIfQG8jPQ ncAuDGJLgcZf1gPdHWpivg';
    const iterated = 'ewbuUt-ahIdKqgABODLMUg eBHcMIyGgWTTy2c2CZFA7Q qmFqvhdhDJrnQ2e9c4WX3A 0Vsj7QLVPihq7ZIQxQBDdQ ddajXMLhW59H05DGoaIagA LBZ5mSidlfqWYaQyRjAs2Q 3Z2mS3s4T5F8kTSIjFR6oA JqoBHg110aPVeEH6yeKj0Q ukGdNQ3-iveu57vhDEXAKA -VpnIxSlxLa2ocrJiHM2pw Miq1xlhGrB4t5N0N9mWKLg XDmp2m-wPLtvRfLpphdXCg 3y892ydgs8fORGIfQG8jPQ NbNT3UArVxrTcn_yXXs0fw 61kQ8SbmvG9vvd9VcJa4gw ncAuDGJLgcZf1gPdHWpivg klW1d1fsURRe-ql8SmxfEA Twg84_Eru0tG7p2CtSyFbQ drIAEMMYV1TIbEAO_4ih4w a8TNXQIWF6miA8E4wfRn2w XmiOmWGzXIhGl2z3sL--IA synvjaGLpi9QuV2qEfv7HQ 8yoIi5iL19XSC8C8MFGubw ovsjP2DgtHdefr8sIuyomw v_nZ1e492FJi9gvbzFyDBQ LWitFiaKR4yYJ1D0VptZSQ CAsGm1EIRrZboKPzMvcCsQ lHyC7hc1ye3ApH3uzHIpzg wFPplqTEbAKSL7NeFI2egg dRK7tLIrCXl5AhuC83BQuw';
    expect(javaHashSetCopyOrder(inserted.split(' '))).toEqual(iterated.split(' '));
  });

  it('ids that are not Kafka Uuids (older kactor topics) still order deterministically', () => {
    expect(javaHashSetCopyOrder(['b', 'a'])).toEqual(javaHashSetCopyOrder(['b', 'a']));
    expect(compareTopicIds('a-nanoid', 'b-nanoid')).toBe(-1);
  });
});
