// Throwaway placeholder (created by the test-harness work); to be replaced by the real config.
import { defineConfig } from 'vite';

export default defineConfig({});
