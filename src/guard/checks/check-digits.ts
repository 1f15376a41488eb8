/** Check-digit validation for numbers that are personal data only when valid. Input: ASCII digits. */

/** 個人番号 (My Number): 12 digits, the last is a mod-11 check digit (行政手続番号法施行令 第8条). */
export function isValidMyNumber(digits: string): boolean {
  if (!/^\d{12}$/.test(digits)) return false;
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = Number(digits[11 - n]);
    const q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const r = sum % 11;
  const check = r <= 1 ? 0 : 11 - r;
  return check === Number(digits[11]);
}

/** 法人番号 (corporate number): 13 digits, the FIRST is the check digit over the 12 that follow. */
export function isValidCorporateNumber(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const p = Number(digits[13 - n]);
    sum += p * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9) === Number(digits[0]);
}

/** Luhn (payment cards). */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Make a 12-digit My Number from 11 digits (for tests and synthetic data). */
export function withMyNumberCheckDigit(first11: string): string {
  for (let c = 0; c <= 9; c++) if (isValidMyNumber(first11 + c)) return first11 + c;
  throw new Error('unreachable');
}

/** Make a 13-digit corporate number from its 12 base digits. */
export function withCorporateCheckDigit(base12: string): string {
  for (let c = 1; c <= 9; c++) if (isValidCorporateNumber(c + base12)) return c + base12;
  throw new Error('unreachable');
}

export const digitsOnly = (s: string): string => s.replace(/[^0-9]/g, '');
