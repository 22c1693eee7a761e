/**
 * Consumer mailbox providers: people there do not work for "gmail.com", so these domains never
 * become companies. Lower-case; subdomains are not listed (they are rare for consumer mail).
 */
export const FREE_MAIL_DOMAINS: readonly string[] = [
  "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.co.jp", "ymail.com", "rocketmail.com",
  "outlook.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "live.com", "live.co.uk", "msn.com", "passport.com",
  "icloud.com", "me.com", "mac.com", "aol.com", "aim.com", "protonmail.com", "proton.me", "pm.me", "gmx.com", "gmx.de", "gmx.net",
  "web.de", "mail.com", "yandex.com", "yandex.ru", "mail.ru", "zoho.com", "fastmail.com", "hey.com", "tutanota.com", "qq.com",
  "163.com", "126.com", "naver.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "orange.fr", "free.fr", "laposte.net",
  "btinternet.com", "t-online.de", "libero.it",
];

const FREE = new Set(FREE_MAIL_DOMAINS);

export function isFreeMailDomain(domain: string): boolean {
  return FREE.has(domain.trim().toLowerCase());
}
