// Runs in <head>, before the page is drawn: tells the stylesheet that scripts run, so the menu
// is drawn as the USWDS menu (a button on a phone, submenus behind their buttons) and not as
// the open list that app.css shows when scripts are off (html.no-js).
document.documentElement.classList.replace("no-js", "js");
