// Unit and integration specs that live beside the code (src/**/*.spec.ts, scripts/**/*.spec.ts).
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: 'src',
  roots: ['<rootDir>', '<rootDir>/../scripts'],
  testRegex: '.*\\.spec\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest'] },
  moduleNameMapper: { '^@/(.*)$': '<rootDir>/$1' },
  testEnvironment: '<rootDir>/../test/support/node-realm-environment.js',
  testTimeout: 60000,
};
