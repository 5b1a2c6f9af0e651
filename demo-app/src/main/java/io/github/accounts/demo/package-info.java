/**
 * demo-app: a host application composing accounts-core and accounts-web the way a real one would. Not API: the
 * code is here to be read and copied. {@link io.github.accounts.demo.Main} is the entry point and the one place
 * that wires everything.
 */
package io.github.accounts.demo;
