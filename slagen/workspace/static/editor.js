/* replaced by the CodeMirror bundle built from workspace-frontend/ */
