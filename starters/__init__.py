# The default library's starter packages (package data; read through slagen.library.folder).
