/** The one context the feature flows share ({@link io.github.accounts.core.internal.flow.FlowContext}). Not API. */
package io.github.accounts.core.internal.flow;
