// Which engine a file belongs to, by its name: each document kind recognises its own files (kinds/).
export { fileKindForPath } from './kinds/index';
