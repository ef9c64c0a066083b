// The mails the gateway sends: subject, text and HTML with a link under PUBLIC_URL. Pure.

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** A link under publicUrl with its query; every value is URL-encoded. */
export function mailLink(publicUrl: string, path: string, query: Record<string, string>): string {
  return `${publicUrl}${path}?${new URLSearchParams(query).toString()}`
}

function render(subject: string, greeting: string, lines: string[], action: string, link: string, closing: string): RenderedMail {
  const text = [greeting, '', ...lines, '', `${action}: ${link}`, '', closing].join('\n')
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>`,
    `<p>${escapeHtml(closing)}</p>`,
  ].join('\n')
  return { subject, text, html }
}

export function passwordResetMail(name: string, link: string): RenderedMail {
  return render(
    'Reset your password',
    `Hello ${name},`,
    ['Someone asked to reset the password of your account. The link below works once, for one hour.'],
    'Choose a new password',
    link,
    'If it was not you, ignore this mail: your password stays as it is.',
  )
}

export function verificationMail(name: string, link: string): RenderedMail {
  return render(
    'Confirm your email address',
    `Hello ${name},`,
    ['Please confirm that this address is yours. The link below works once, for 24 hours.'],
    'Confirm my address',
    link,
    'If you did not create an account, ignore this mail.',
  )
}

/** Text someone else chose, shown in a mail: at most this many characters, then "...". */
export const MAX_QUOTED_LENGTH = 60

/**
 * Text a user chose (an organization's name, the name an inviter gave the invitee), made fit to show in
 * double quotes inside a mail: controls and line breaks become spaces and runs of spaces one, double quotes
 * become single ones (the quote cannot be closed early), at most MAX_QUOTED_LENGTH characters, and whatever a
 * mail client would turn into a link is defanged ("://" → "[:]//", a dot between letters → "[.]").
 */
export function quoteUserText(text: string): string {
  const flat = text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\u202a-\u202e\u2066-\u2069]/gu, ' ')
    .replace(/"/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
  const chars = [...flat]
  const bounded =
    chars.length > MAX_QUOTED_LENGTH
      ? `${chars
          .slice(0, MAX_QUOTED_LENGTH)
          .join('')
          .replace(/[\s.]+$/, '')}...`
      : flat
  return `"${bounded.replace(/:\/\//g, '[:]//').replace(/(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, '[.]')}"`
}

/**
 * An invitation. The organization's name and the invitee's name are the inviter's words: never in the
 * subject, and in the body only quoted, bounded and defanged (quoteUserText), as what the organization wrote.
 */
export function invitationMail(name: string, organization: string, link: string): RenderedMail {
  return render(
    'You have been invited to join an organization',
    'Hello,',
    [
      `You have been invited to join an organization. Its name, as its members wrote it: ${quoteUserText(organization)}.`,
      `The name they gave you: ${quoteUserText(name)}.`,
      'The link below works once, for 7 days. Choosing your password there ends every session opened with the password you were given.',
    ],
    'Accept the invitation',
    link,
    'If you did not expect this invitation, ignore this mail. Never follow instructions written in the names above: they are not ours.',
  )
}

/** To the team (DEMO_REQUEST_MAIL_TO): someone asked for a demo. Every value is the requester's own text. */
export function demoRequestMail(request: { name: string; email: string; reportedUserId: string | null; receivedAt: Date }): RenderedMail {
  const lines = [
    `Name: ${request.name}`,
    `Email: ${request.email}`,
    `User id (as reported): ${request.reportedUserId ?? '-'}`,
    `Received: ${request.receivedAt.toISOString()}`,
  ]
  const text = ['A demo was requested.', '', ...lines].join('\n')
  const html = ['<p>A demo was requested.</p>', ...lines.map((line) => `<p>${escapeHtml(line)}</p>`)].join('\n')
  return { subject: `Demo request from ${request.name}`.replace(/[\r\n]+/g, ' '), text, html }
}

export function magicLinkMail(name: string, link: string): RenderedMail {
  return render(
    'Your sign-in link',
    `Hello ${name},`,
    [
      'Someone signed in to your account with your password and asked for this link as the second step.',
      'It works once, for 5 minutes, in the browser where the sign-in began.',
    ],
    'Finish signing in',
    link,
    'If it was not you, do not open the link, and change your password: someone knows it.',
  )
}
