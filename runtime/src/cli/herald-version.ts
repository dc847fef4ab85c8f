/** The version `herald --version` prints and SARIF output names (runtime/package.json's; a test keeps them equal). Its own module: the program loads it before any command. */
export const HERALD_VERSION = '0.1.0';
