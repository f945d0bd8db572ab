export { generate, LINK_FILE } from './outline/outline.js';
