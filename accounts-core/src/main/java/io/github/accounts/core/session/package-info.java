/**
 * Sessions: {@link io.github.accounts.core.session.Sessions} and the records a sign-in returns are API. The rest is
 * machinery: issuing, rotating and revoking sessions, how recently a session proved itself, and what recovering an
 * account ends.
 */
package io.github.accounts.core.session;
