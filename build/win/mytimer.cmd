@echo off
rem `mytimer` on PATH for the Windows install: runs the CLI inside myTimer.exe beside this file
rem (no system Node needed; the RunAsNode fuse stays off). Add the install folder to PATH to use it.
"%~dp0myTimer.exe" --cli %*
exit /b %ERRORLEVEL%
