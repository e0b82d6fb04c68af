/**
 * The synthetic sources: a dozen reports under a reserved address that never resolves, cited by a sample of the
 * projects, each stored with the fingerprint every source of the registry is stored by.
 */

import { sourceFingerprint } from '../../src/modules/source/source.writer';
import { isoDay, REFERENCE_DAY, toDay } from './dates';

/** Synthetic sources live under this address (a reserved TLD: it never resolves). */
export const SYNTHETIC_SOURCE_URL = 'https://synthetic.example.invalid/';

/** How many synthetic sources there are; a project cites one by its index. */
export const SOURCE_COUNT = 12;

export function syntheticSources() {
  return Array.from({ length: SOURCE_COUNT }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    const url = `${SYNTHETIC_SOURCE_URL}bao-cao-${n}`;
    const title = `Báo cáo tổng hợp tình hình đầu tư kết cấu hạ tầng số ${n} (dữ liệu tổng hợp SYN-SRC-${n})`;
    const quote = `Số liệu minh họa, không phải số liệu thật (SYN-SRC-${n}).`;
    const publishedOn = isoDay(toDay('2025-01-15') + i * 30);
    const confidence = i % 3 === 0 ? ('MEDIUM' as const) : ('LOW' as const);
    return {
      // The identity every stored source has (URL, document, title, quote, date), so it matches SourceWriter's.
      fingerprint: sourceFingerprint({ url, title, quote, publishedOn, retrievedOn: REFERENCE_DAY, confidence }),
      url,
      documentId: null,
      title,
      publisher: 'Synthetic data generator',
      quote,
      publishedOn,
      retrievedOn: REFERENCE_DAY,
      confidence,
      note: 'synthetic',
    };
  });
}
