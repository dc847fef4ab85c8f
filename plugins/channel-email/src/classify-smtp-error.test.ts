import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './classify-smtp-error.js';

/** Errors shaped as nodemailer makes them (code, response, responseCode, command). */
function smtp(code: string, response: string, command: string, message = 'failed'): Error {
  const responseCode = Number(response.slice(0, 3));
  return Object.assign(new Error(`${message}: ${response}`), { code, response, responseCode, command });
}

describe('classifySmtpError', () => {
  it('treats a recipient refused at RCPT TO as a bounce', () => {
    expect(classifySmtpError(smtp('EENVELOPE', '550 <x@y>: Recipient address rejected', 'RCPT TO'))).toEqual({
      status: 'failed',
      retryable: false,
      bounced: true,
      code: 'SMTP_550',
      reason: 'RCPT TO: 550 <x@y>: Recipient address rejected',
    });
  });

  it('treats an enhanced status 5.1.x as a bounce wherever it comes', () => {
    expect(classifySmtpError(smtp('EMESSAGE', '554 5.1.1 user unknown', 'DATA'))).toMatchObject({ retryable: false, bounced: true });
  });

  it('keeps 5.7.x policy refusals and other 5xx permanent but not bounced', () => {
    expect(classifySmtpError(smtp('EENVELOPE', '550 5.7.1 Relaying denied', 'RCPT TO'))).not.toHaveProperty('bounced');
    expect(classifySmtpError(smtp('EMESSAGE', '552 Message size exceeds fixed limit', 'DATA'))).toMatchObject({
      retryable: false,
      code: 'SMTP_552',
    });
    expect(classifySmtpError(smtp('EAUTH', '535 Authentication credentials invalid', 'AUTH PLAIN'))).toMatchObject({
      retryable: false,
      code: 'SMTP_535',
    });
    expect(classifySmtpError(smtp('EAUTH', '535 Authentication credentials invalid', 'AUTH PLAIN'))).not.toHaveProperty('bounced');
  });

  it('retries 4xx replies', () => {
    for (const [code, response, command] of [
      ['EENVELOPE', '451 4.7.1 Greylisted, try again later', 'RCPT TO'],
      ['EMESSAGE', '452 Insufficient system storage', 'DATA'],
      ['ECONNECTION', '421 Service not available, closing channel', 'CONN'],
      ['EAUTH', '454 Temporary authentication failure', 'AUTH LOGIN'],
    ] as const) {
      expect(classifySmtpError(smtp(code, response, command))).toMatchObject({ retryable: true, code: `SMTP_${response.slice(0, 3)}` });
    }
  });

  it('retries connection trouble', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKET', 'ECONNECTION', 'EDNS', 'EAI_AGAIN']) {
      expect(classifySmtpError(Object.assign(new Error(code), { code }))).toMatchObject({ status: 'failed', retryable: true, code });
    }
  });

  it('treats configuration and address errors without a server reply as permanent', () => {
    expect(classifySmtpError(Object.assign(new Error('Missing credentials for "PLAIN"'), { code: 'EAUTH' }))).toMatchObject({ retryable: false, code: 'EAUTH' });
    expect(classifySmtpError(Object.assign(new Error('Invalid recipient "a b"'), { code: 'EENVELOPE' }))).toMatchObject({ retryable: false, bounced: true });
    expect(classifySmtpError(Object.assign(new Error('Invalid sender "x"'), { code: 'EENVELOPE' }))).not.toHaveProperty('bounced');
  });

  it('retries anything unexpected, with a bounded reason', () => {
    expect(classifySmtpError('weird')).toMatchObject({ retryable: true, code: 'UNKNOWN', reason: 'weird' });
    expect(classifySmtpError({})).toMatchObject({ retryable: true, reason: 'unknown error' });
    const long = classifySmtpError(new Error('x'.repeat(2000)));
    expect(long).toMatchObject({ retryable: true, code: 'UNKNOWN' });
    expect(long.reason.length).toBe(500);
  });
});
