export const local = localStorage;
export const session = window.sessionStorage;
export const element = document.body;
