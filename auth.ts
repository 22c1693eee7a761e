import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { db, getConnection } from "@/db";
import { resolveAuthSecret } from "@/lib/auth/auth-secret";
import { encryptingAdapter } from "@/lib/auth/encrypting-adapter";
import { LocalSignInRefused, localSignInEnabled, signInLocally } from "@/lib/auth/local-sign-in";
import { oauthProviders } from "@/lib/auth/oauth-providers";
import { completeOAuthLink } from "@/lib/oauth/complete-oauth-link";

/**
 * The whole Auth.js configuration. Built lazily (on the first request, not at import) so
 * `next build` needs no secret and production fails with a clear message when AUTH_SECRET is missing.
 */
let config: NextAuthConfig | undefined;

function authConfig(): NextAuthConfig {
  return (config ??= {
    secret: resolveAuthSecret(),
    // The adapter checks the driver class, so it gets the connection itself rather than the lazy proxy.
    adapter: encryptingAdapter(getConnection().db),
    session: { strategy: "jwt" },
    pages: { signIn: "/login", error: "/login" },
    providers: [...oauthProviders(), ...(localSignInEnabled() ? [localProvider()] : [])],
    callbacks: {
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
  });
}

function localProvider() {
  return Credentials({
    id: "local",
    name: "Email",
    credentials: { email: { label: "Email", type: "email" } },
    async authorize(credentials) {
      try {
        const user = await signInLocally(db, credentials);
        return { id: user.id, email: user.email, name: user.name };
      } catch (error) {
        // Returning null makes Auth.js answer CredentialsSignin; the reason is logged, not shown.
        if (error instanceof LocalSignInRefused || (error as Error).name === "ZodError") return null;
        throw error;
      }
    },
  });
}

/**
 * Per request, the signIn callback sees the request: a Google/Microsoft consent started from an
 * accounts page ("Link Gmail") links a mailbox for the signed-in user instead of signing in.
 */
function configFor(request: Request | undefined): NextAuthConfig {
  const base = authConfig();
  return {
    ...base,
    callbacks: {
      ...base.callbacks,
      signIn: ({ account, profile }) => completeOAuthLink({ db: getConnection().db, request, secret: base.secret as string, account, profile }),
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth((request) => configFor(request));

// Re-exported so the app imports Auth.js only through this module (one boundary to replace in tests).
export { AuthError } from "next-auth";
