import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as the catcher received it. */
export interface CaughtMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

/**
 * A real SMTP server on loopback that keeps what it receives: the local environment's mail host, and what
 * tests read notifications from. No authentication and no TLS: it only ever listens on 127.0.0.1.
 */
export class MailCatcher {
  readonly received: CaughtMail[] = [];
  private readonly server: SMTPServer;
  private readonly onMail: ((mail: CaughtMail) => void) | undefined;

  constructor(onMail?: (mail: CaughtMail) => void) {
    this.onMail = onMail;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      size: 1024 * 1024,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const mail: CaughtMail = {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            };
            this.received.push(mail);
            this.onMail?.(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  }

  async listen(port: number, host = '127.0.0.1'): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Mails received for an address so far. */
  to(address: string): CaughtMail[] {
    return this.received.filter((mail) => mail.to.includes(address));
  }
}
