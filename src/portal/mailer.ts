import { createTransport } from 'nodemailer';

/** One notification. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail; the portal never waits on it to answer a request. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** Where mail is handed over. */
export interface SmtpSettings {
  host: string;
  port: number;
  from: string;
  /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
  secure?: boolean;
  auth?: { user: string; pass: string };
}

/** A Mailer over SMTP (nodemailer). */
export function smtpMailer(settings: SmtpSettings): Mailer {
  const transport = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure ?? false,
    auth: settings.auth,
  });
  return {
    async send(mail) {
      await transport.sendMail({ from: settings.from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}

/** Sends without making anyone wait; a failure is logged (a mail is never worth failing a request). */
export function sendInBackground(mailer: Mailer, mail: Mail, log: (line: string) => void): void {
  mailer.send(mail).catch((error: Error) => log(`[portal] mail to ${mail.to} failed: ${error.message}`));
}
