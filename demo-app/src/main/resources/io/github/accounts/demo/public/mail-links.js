// The links in the demo's reset and verification mails open this page with their token in the fragment
// (/#reset-token=..., /#verify-email-token=...: a fragment never reaches the server or its logs). A reset link fills
// the "Set a new password" form; a verification link confirms the address at once. Either token leaves the address
// bar first. Uses app.js's call(), render() and show().
'use strict';

const RESET_TOKEN_FRAGMENT = '#reset-token=';
const VERIFY_TOKEN_FRAGMENT = '#verify-email-token=';

/** Takes a mailed token from the fragment, on load and when a link changes only the fragment. */
async function takeMailedToken() {
  const hash = location.hash;
  if (!hash.startsWith(RESET_TOKEN_FRAGMENT) && !hash.startsWith(VERIFY_TOKEN_FRAGMENT)) return;
  history.replaceState(null, '', location.pathname + location.search); // the token leaves the address bar
  const token = decodeURIComponent(hash.slice(hash.indexOf('=') + 1));
  if (hash.startsWith(RESET_TOKEN_FRAGMENT)) {
    $('reset-token').value = token;
    $('reset-password').focus();
    show('info', 'Choose your new password below.');
    return;
  }
  try {
    await call('POST', '/accounts/email-verifications/confirm', { token }, false);
    await render();
    show('info', 'Your email address is verified.');
  } catch (problem) {
    showProblem(problem);
  }
}

takeMailedToken();
window.addEventListener('hashchange', takeMailedToken);
